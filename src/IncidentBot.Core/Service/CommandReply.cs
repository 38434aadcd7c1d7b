using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Service;

/// <summary>
/// How an answer is shown to the person who asked. Anything everyone should see is never a reply: it is an
/// outbox message of the change itself (the posted status update, the refreshed header).
/// </summary>
public enum ReplyDisplay
{
    /// <summary>Only the asker sees <see cref="CommandReply.Text"/> (a refusal, a confirmation, a summary).</summary>
    Private,

    /// <summary>
    /// The change shows itself on a card everyone sees (<see cref="CommandReply.Card"/>, updated through the outbox).
    /// A platform that answers a click with a card shows the asker that card; a typed command may get the text privately.
    /// </summary>
    Card,

    /// <summary>Open the declare form (Slack modal; Teams has no form in answer to a message and says how to open one).</summary>
    OpenForm,

    /// <summary>A repeat of a request already answered: show nothing new.</summary>
    Nothing,
}

/// <summary>The answer to a command: its text, how it is shown, and the incident it concerned if any.</summary>
public sealed record CommandReply(RichText Text, ReplyDisplay Display = ReplyDisplay.Private, Incident? Incident = null, bool Changed = false)
{
    /// <summary>With <see cref="ReplyDisplay.Card"/>: the card as everyone now sees it.</summary>
    public ChatMessage? Card { get; init; }

    public static CommandReply Private(RichText text, Incident? incident = null) => new(text, ReplyDisplay.Private, incident);

    public static CommandReply ShowCard(RichText text, ChatMessage card, Incident incident) => new(text, ReplyDisplay.Card, incident) { Card = card };

    public static CommandReply AlreadyHandled(Incident? incident = null) => new("Already handled.", ReplyDisplay.Nothing, incident);
}
