using IncidentBot.Core.Commands;

namespace IncidentBot.Core.Notes;

/// <summary>`note &lt;text&gt;`: a timeline entry.</summary>
public sealed record NoteCommand(string Text) : Command;

/// <summary>`note --remove &lt;id&gt;`: hide a timeline entry from the postmortem.</summary>
public sealed record RemoveNoteCommand(long EntryId) : Command;
