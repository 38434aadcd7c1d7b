namespace IncidentBot.Core.Commands;

/// <summary>
/// A parsed `/incident ...` (Slack) or `@IncidentBot ...` (Teams) command. Each concrete command lives in its
/// feature folder beside its handler; <see cref="Service.CommandTable"/> maps it to that handler.
/// </summary>
public abstract record Command;

/// <summary>A Teams mention entity: the text as it stands in the message (`&lt;at&gt;Name&lt;/at&gt;`) and who it names.</summary>
public sealed record MentionEntity(string Text, string UserId, string Name);
