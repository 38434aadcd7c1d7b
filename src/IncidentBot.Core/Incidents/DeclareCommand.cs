using IncidentBot.Core.Commands;
using IncidentBot.Core.Capture;

namespace IncidentBot.Core.Incidents;

/// <summary>`declare [title] [sev1..sev4] [type:...]`; a null title means "open the form".</summary>
public sealed record DeclareCommand(string? Title, Severity? Severity, IncidentType? Type) : Command;

/// <summary>What a declaration needs; <see cref="SourceMessage"/> is set when declared from a chat message.</summary>
public sealed record DeclareRequest(string Title, Severity Severity, IncidentType Type, string Description = "", CapturedChatEvent? SourceMessage = null);
