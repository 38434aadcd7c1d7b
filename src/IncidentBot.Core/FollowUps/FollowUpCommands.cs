using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.FollowUps;

/// <summary>
/// `followup &lt;text&gt; [@owner] [due:YYYY-MM-DD | due:&lt;n&gt;d]`, and the "Add follow-up from this message" form,
/// which also carries the link of the message it came from.
/// </summary>
public sealed record AddFollowUpCommand(string Text, Person? Owner, DueSpec? Due, string? SourceLink = null) : Command;

/// <summary>`followups`: this incident's follow-ups.</summary>
public sealed record ListFollowUpsCommand : Command;

/// <summary>`followup done &lt;id&gt;` (and the Done button).</summary>
public sealed record FollowUpDoneCommand(int Number) : Command;

/// <summary>`followup drop &lt;id&gt; &lt;reason&gt;`: not doing it, and why.</summary>
public sealed record DropFollowUpCommand(int Number, string Reason) : Command;

/// <summary>`followup assign &lt;id&gt; @user`; a null owner is whoever asked (the Assign to me button).</summary>
public sealed record AssignFollowUpCommand(int Number, Person? Owner) : Command;

/// <summary>`followup due &lt;id&gt; &lt;date&gt;`.</summary>
public sealed record FollowUpDueCommand(int Number, DueSpec Due) : Command;
