using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Commands;

/// <summary>A parsed `/incident ...` (Slack) or `@IncidentBot ...` (Teams) command.</summary>
public abstract record Command
{
    /// <summary>Whether the command only makes sense inside an incident's own conversation.</summary>
    public virtual bool NeedsIncidentConversation => true;
}

/// <summary>`declare [title] [sev1..sev4] [type:...]`; a null title means "open the form".</summary>
public sealed record DeclareCommand(string? Title, Severity? Severity, IncidentType? Type) : Command
{
    public override bool NeedsIncidentConversation => false;
}

/// <summary>`ack`, `mitigate`, `resolve`, `reopen`.</summary>
public sealed record TransitionCommand(LifecycleAction Action) : Command;

/// <summary>`update &lt;text&gt;`: a status update, posted and broadcast.</summary>
public sealed record StatusUpdateCommand(string Text) : Command;

/// <summary>`note &lt;text&gt;`: a timeline entry.</summary>
public sealed record NoteCommand(string Text) : Command;

/// <summary>`note --remove &lt;id&gt;`: hide a timeline entry from the postmortem.</summary>
public sealed record RemoveNoteCommand(long EntryId) : Command;

/// <summary>`lead @user`.</summary>
public sealed record LeadCommand(Person User) : Command;

/// <summary>`role &lt;name&gt; @user`.</summary>
public sealed record RoleCommand(string Role, Person User) : Command;

/// <summary>`sev 1..4`.</summary>
public sealed record SeverityCommand(Severity Severity) : Command;

/// <summary>`status`: a summary of this incident.</summary>
public sealed record StatusCommand : Command;

/// <summary>`list`: open incidents.</summary>
public sealed record ListCommand : Command
{
    public override bool NeedsIncidentConversation => false;
}

/// <summary>`postmortem [tz:Area/City]`: export the draft.</summary>
public sealed record PostmortemCommand(string? TimeZone) : Command;

/// <summary>`help`, or what an unknown verb or bad argument becomes; <see cref="Error"/> says what was wrong.</summary>
public sealed record HelpCommand(string? Error) : Command
{
    public override bool NeedsIncidentConversation => false;
}

/// <summary>A Teams mention entity: the text as it stands in the message (`&lt;at&gt;Name&lt;/at&gt;`) and who it names.</summary>
public sealed record MentionEntity(string Text, string UserId, string Name);

/// <summary>Snooze reminders for a while (a reminder's button, not typed).</summary>
public sealed record SnoozeCommand(TimeSpan Duration) : Command;
