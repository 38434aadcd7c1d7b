using Microsoft.AspNetCore.Http;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// Personal scope. An activity in a person's 1:1 conversation with the bot (a message to it, a card clicked there, the
/// app added there) says where that person can be reached alone: it is recorded, and an overdue follow-up's nudge goes
/// there too (Teams lets a bot message a person only in a 1:1 that exists). The app removed there forgets it.
/// </summary>
internal sealed partial class TeamsActivityEndpoint
{
    public const string PersonalConversationType = "personal";

    private static bool IsPersonal(Activity activity) =>
        string.Equals(activity.Conversation?.ConversationType, PersonalConversationType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Records the sender's 1:1 conversation when the activity came from one, or forgets it when the activity says the bot
    /// left it (a conversationUpdate removing the bot, which may follow the app's removal); its conversation, sender and
    /// service URL are checked already.
    /// </summary>
    private async Task RememberPersonalConversationAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!IsPersonal(activity))
        {
            return;
        }

        var (user, conversation) = (activity.From!.Id!, activity.Conversation!.Id!);
        if (activity.Type == "conversationUpdate" && activity.MembersRemoved?.Any(m => IsBot(activity, m)) == true)
        {
            await service.ForgetDirectConversationAsync(Platform, TenantOf(activity), user, conversation, cancellationToken);
        }
        else
        {
            await service.RecordDirectConversationAsync(Platform, TenantOf(activity), user, conversation, activity.ServiceUrl, cancellationToken);
        }
    }

    /// <summary>
    /// The app added to or removed from a conversation. In personal scope an add (or its upgrade) records the 1:1 and a
    /// removal forgets it, as botbuilder's ActivityHandler sorts the actions; anything else, or one without the
    /// conversation, sender or service URL that needs, is ignored: it asks nothing of the bot.
    /// </summary>
    private async Task<IResult> InstallationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (!IsPersonal(activity) || !HasValidServiceUrl(activity) || activity.Conversation?.Id is not { Length: > 0 } conversation || activity.From?.Id is not { Length: > 0 } user)
        {
            return Ignore("installationUpdate");
        }

        switch (activity.Action)
        {
            case "add" or "add-upgrade":
                await RememberPersonalConversationAsync(activity, cancellationToken);
                break;
            case "remove" or "remove-upgrade":
                await service.ForgetDirectConversationAsync(Platform, TenantOf(activity), user, conversation, cancellationToken);
                break;
            default:
                return Ignore("installationUpdate");
        }

        return Results.Ok();
    }
}
