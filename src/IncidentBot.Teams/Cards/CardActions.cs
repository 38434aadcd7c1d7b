namespace IncidentBot.Teams.Cards;

/// <summary>
/// The data every card button carries, so an Action.Execute invoke and an Action.Submit message are
/// read the same way: <c>{"action": "&lt;ActionIds value&gt;", "value": "&lt;button value&gt;"}</c>; the
/// Action.Execute <c>verb</c> is the action id too. Inputs of a card (the status update text) arrive
/// merged into the same data object under their input ids.
/// </summary>
public static class CardActions
{
    public const string ActionKey = "action";
    public const string ValueKey = "value";

    /// <summary>Input id of the status update text in the Post update form.</summary>
    public const string UpdateTextInput = "updateText";

    /// <summary>Action id of the declare form's submit button (the inputs are named after <c>DeclareForm</c>'s fields).</summary>
    public const string Declare = "incident.declare";

    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";
}
