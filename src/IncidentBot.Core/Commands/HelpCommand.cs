using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Commands;

/// <summary>`help`, or what an unknown verb or bad argument becomes; <see cref="Error"/> says what was wrong.</summary>
public sealed record HelpCommand(RichText? Error) : Command;
