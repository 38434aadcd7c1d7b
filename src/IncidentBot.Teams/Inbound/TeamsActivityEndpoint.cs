using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// POST /api/messages: authenticates the activity, turns it into a use case, answers at once. Nothing
/// here calls the Bot Connector: every message the bot owes goes through the outbox.
/// </summary>
internal sealed partial class TeamsActivityEndpoint(
    IBotTokenValidator validator,
    IncidentService service,
    IOptions<TeamsOptions> options,
    ILogger<TeamsActivityEndpoint> logger)
{
    public const string Platform = TeamsPlatformName.Value;

    /// <summary>Activities are small; a message action carries one message, far below this.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public async Task<IResult> HandleAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.ContentLength > MaxBodyBytes)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "body too large");
        }

        var authorization = http.Headers.Authorization.ToString();
        var anonymous = authorization.Length == 0 && options.Value.AllowUnauthenticatedLoopback && IsLoopback(http.HttpContext.Connection.RemoteIpAddress);
        if (authorization.Length == 0 && !anonymous)
        {
            return Refuse(StatusCodes.Status401Unauthorized, "no Authorization header");
        }

        var body = await ReadCappedAsync(http, cancellationToken);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "body too large");
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body, ActivityJson.Options);
        }
        catch (JsonException)
        {
            return BadRequest("body is not a JSON activity");
        }

        if (activity is null || string.IsNullOrEmpty(activity.Type))
        {
            return BadRequest("activity has no type");
        }

        if (anonymous)
        {
            Log.Unauthenticated(logger);
        }
        else
        {
            var check = await validator.ValidateAsync(authorization, activity.ChannelId, activity.ServiceUrl, cancellationToken);
            if (!check.IsAccepted)
            {
                // The validator has logged the refusal already.
                return Problem(check.StatusCode, check.Reason);
            }
        }

        if (activity.Type == "installationUpdate")
        {
            return await InstallationUpdateAsync(activity, cancellationToken);
        }

        if (activity.Type is not ("message" or "invoke" or "conversationUpdate"))
        {
            // Unknown and unused types (typing, messageReaction, ...) need nothing else from the activity.
            return Ignore(activity.Type);
        }

        if (!HasValidServiceUrl(activity))
        {
            return BadRequest("activity has no valid serviceUrl");
        }

        if (activity.Conversation?.Id is not { Length: > 0 } || activity.From?.Id is not { Length: > 0 })
        {
            return BadRequest("activity has no conversation or sender");
        }

        await RememberPersonalConversationAsync(activity, cancellationToken);
        return activity.Type switch
        {
            "message" => await MessageAsync(activity, cancellationToken),
            "invoke" => await InvokeAsync(activity, cancellationToken),
            "conversationUpdate" => await ConversationUpdateAsync(activity, cancellationToken),
            _ => throw new UnreachableException($"activity type {activity.Type} was let through"),
        };
    }

    private async Task<IResult> MessageAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(activity.Text) && activity.Value.ValueKind == JsonValueKind.Object)
        {
            // Action.Submit: a message with the card's data in value and no text.
            return await SubmitAsync(activity, cancellationToken);
        }

        var (text, mentions) = TeamsText.ForCommand(activity);
        var command = CommandParser.Parse(text, mentions);
        var reply = await service.ExecuteAsync(command, Context(activity), cancellationToken);
        switch (reply.Display)
        {
            case ReplyDisplay.Private:
                await ReplyAsync(activity, reply.Text, cancellationToken);
                break;
            case ReplyDisplay.OpenForm:
                // A bot cannot open a dialog in answer to a message; the message action opens the form.
                await ReplyAsync(activity, DeclareHint, cancellationToken);
                break;
            case ReplyDisplay.Card:
                // The incident's conversation already shows the change (header, posted update), and a reply here is seen by all.
                break;
            case ReplyDisplay.Nothing:
                break;
            default:
                throw new UnreachableException($"reply display {reply.Display}");
        }

        return Results.Ok();
    }

    private async Task<IResult> ConversationUpdateAsync(Activity activity, CancellationToken cancellationToken)
    {
        if (activity.MembersAdded?.Any(m => IsBot(activity, m)) == true)
        {
            await ReplyAsync(activity, WelcomeText, cancellationToken);
        }

        return Results.Ok();
    }

    public const string DeclareHint =
        "Give the incident a title: `@IncidentBot declare <title> [sev1..sev4] [type:livesite|deployment|customer]`, " +
        "or open the form from any message: More actions (...) > Declare incident from message.";

    public static readonly RichText WelcomeText = RichText.Of(
        $"Hi, I am IncidentBot. Mention me with a command, e.g. {Run.Code("@IncidentBot declare Checkout errors sev2")}.{Run.LineBreak}{Run.LineBreak}{CommandParser.HelpText}");

    /// <summary>Who asked, from where; the activity id de-duplicates redeliveries.</summary>
    private static CommandContext Context(Activity activity) => new(
        Platform,
        TenantOf(activity),
        activity.Conversation!.Id!,
        new Person(activity.From!.Id!, string.IsNullOrWhiteSpace(activity.From.Name) ? activity.From.Id! : activity.From.Name),
        InboundKey(activity),
        activity.ServiceUrl);

    /// <summary>
    /// De-duplicates redeliveries. Channel message ids are millisecond timestamps, unique only within their
    /// conversation, so the key is the conversation and the id together.
    /// </summary>
    private static string? InboundKey(Activity activity) =>
        activity.Id is { Length: > 0 } id ? $"teams:{activity.Conversation!.Id}:{id}" : null;

    private static string TenantOf(Activity activity)
    {
        if (activity.Conversation?.TenantId is { Length: > 0 } tenant)
        {
            return tenant;
        }

        return activity.ChannelData.ValueKind == JsonValueKind.Object
            && activity.ChannelData.TryGetProperty("tenant", out var t) && t.ValueKind == JsonValueKind.Object
            && t.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : "default";
    }

    /// <summary>Answers in the conversation the activity came from, through the outbox, once per activity.</summary>
    private async Task ReplyAsync(Activity activity, RichText text, CancellationToken cancellationToken)
    {
        var outgoing = Outgoing.Private(Platform, activity.Conversation!.Id!, activity.ServiceUrl, activity.From!.Id!, text);
        await service.SendAsync([outgoing], InboundKey(activity) is { } key ? $"{key}:reply" : null, cancellationToken);
    }

    private IResult Ignore(string type)
    {
        Log.Ignored(logger, type);
        return Results.Ok();
    }

    private IResult BadRequest(string reason)
    {
        Log.Refused(logger, StatusCodes.Status400BadRequest, reason);
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: reason);
    }

    private IResult Refuse(int statusCode, string reason)
    {
        Log.Refused(logger, statusCode, reason);
        return Problem(statusCode, reason);
    }

    private static IResult Problem(int statusCode, string reason) =>
        Results.Problem(statusCode: statusCode, title: statusCode == StatusCodes.Status403Forbidden ? "Forbidden" : statusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Unauthorized", detail: reason);

    /// <summary>Whether <paramref name="member"/> is the bot the activity was sent to.</summary>
    private static bool IsBot(Activity activity, ChannelAccount? member) =>
        activity.Recipient?.Id is { } bot && string.Equals(member?.Id, bot, StringComparison.OrdinalIgnoreCase);

    private static bool HasValidServiceUrl(Activity activity) =>
        Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl) && (serviceUrl.Scheme == Uri.UriSchemeHttps || serviceUrl.Scheme == Uri.UriSchemeHttp);

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    /// <summary>The body, or null past <see cref="MaxBodyBytes"/> (Kestrel stops reading there, whatever Content-Length claimed).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            using var buffer = new MemoryStream();
            await http.Body.CopyToAsync(buffer, cancellationToken);
            return buffer.Length > MaxBodyBytes ? null : buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
