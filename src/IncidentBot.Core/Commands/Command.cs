using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Commands;

/// <summary>
/// A parsed `/incident ...` (Slack) or `@IncidentBot ...` (Teams) command. Each concrete command lives in its
/// feature folder beside its handler; <see cref="Service.CommandTable"/> maps it to that handler.
/// </summary>
public abstract record Command;

/// <summary>
/// A mention of a person in command text, resolved by the platform's adapter before Core sees the text:
/// the mention exactly as it stands in the text, and who it names. Core knows no platform's mention syntax.
/// </summary>
public sealed record Mention(string Text, Person Person);
