using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Testing.Teams;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>
/// Fakes of the Bot Framework token issuer, Entra's token endpoint, the Bot Connector and Graph on
/// 127.0.0.1, and the real bot process pointed at them, with a SQLite file of its own. Activities are
/// sent with tokens signed by the fake issuer; the logs are checked for the app password at the end.
/// </summary>
public abstract class TeamsBotFixture : BotFixture
{
    public const string IncidentsChannel = "19:incidents0000@thread.tacv2";
    public const string AnnounceChannel = "19:announce0000@thread.tacv2";
    public const string GeneralThread = "19:general0000@thread.tacv2;messageid=1700000000001";
    public const string BotId = "28:" + FakeTeamsServer.DefaultAppId;
    public const string Ada = "29:1ada-user-mri";

    private int _activityNumber;

    protected FakeTeamsServer Teams { get; private set; } = null!;

    protected FakeBotFrameworkIssuer Issuer { get; private set; } = null!;

    protected override IReadOnlyList<string> Secrets => [Teams.AppPassword, ApiKey, "eyJ"];

    protected override string SecretsLeakedMessage => "a secret or a token reached the logs";

    protected override async Task StartFakesAsync()
    {
        Teams = new FakeTeamsServer();
        await Teams.StartAsync();
        Issuer = new FakeBotFrameworkIssuer();
        await Issuer.StartAsync();
    }

    protected override async Task StopFakesAsync()
    {
        await Teams.DisposeAsync();
        await Issuer.DisposeAsync();
    }

    protected override Dictionary<string, string> PlatformSettings() => new()
    {
        ["IncidentBot__Teams__AppId"] = Teams.AppId,
        ["IncidentBot__Teams__AppPassword"] = Teams.AppPassword,
        ["IncidentBot__Teams__TenantId"] = Teams.TenantId,
        ["IncidentBot__Teams__OpenIdMetadataUrl"] = Issuer.OpenIdMetadataUrl,
        ["IncidentBot__Teams__TokenEndpoint"] = Teams.TokenEndpoint,
        ["IncidentBot__Teams__GraphBaseUrl"] = Teams.GraphBaseUrl,
        ["IncidentBot__Teams__IncidentsChannelId"] = IncidentsChannel,
        ["IncidentBot__Teams__AnnouncementChannelId"] = AnnounceChannel,
        ["IncidentBot__Teams__PublicBaseUrl"] = "https://incidentbot.example.com/",
    };

    /// <summary>A channel message that @mentions the bot, as Teams sends it (shape of the captured payload in NOTES.md).</summary>
    protected JsonObject Message(string command, string conversationId = GeneralThread, string user = Ada, string userName = "Ada Lovelace")
    {
        var activity = Base("message", conversationId, user, userName);
        activity["text"] = $"<at>IncidentBot</at> {command}";
        activity["textFormat"] = "plain";
        activity["entities"] = new JsonArray(
            new JsonObject { ["type"] = "mention", ["text"] = "<at>IncidentBot</at>", ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "IncidentBot" } },
            new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-US" });
        return activity;
    }

    /// <summary>An Action.Execute click on a card button.</summary>
    protected JsonObject Execute(string actionId, long incidentId, string conversationId, string replyToId, JsonObject? inputs = null, string user = Ada)
    {
        var data = new JsonObject { ["action"] = actionId, ["value"] = incidentId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in inputs ?? [])
        {
            data[key] = value?.DeepClone();
        }

        var activity = Base("invoke", conversationId, user, "Ada Lovelace");
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId;
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = actionId, ["data"] = data }, ["trigger"] = "manual" };
        return activity;
    }

    protected JsonObject Base(string type, string conversationId, string user, string userName)
    {
        var id = (1_700_000_100_000 + Interlocked.Increment(ref _activityNumber)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["channelId"] = "msteams",
            ["serviceUrl"] = Teams.ServiceUrl,
            ["timestamp"] = "2026-11-25T10:00:00.000Z",
            ["from"] = new JsonObject { ["id"] = user, ["name"] = userName, ["aadObjectId"] = "b15a9416-0000-4000-8000-000000000001" },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "IncidentBot" },
            ["conversation"] = new JsonObject { ["id"] = conversationId, ["isGroup"] = true, ["conversationType"] = "channel", ["tenantId"] = Teams.TenantId },
            ["channelData"] = new JsonObject
            {
                ["teamsChannelId"] = conversationId.Split(';')[0],
                ["channel"] = new JsonObject { ["id"] = conversationId.Split(';')[0] },
                ["tenant"] = new JsonObject { ["id"] = Teams.TenantId },
            },
        };
    }

    /// <summary>A token the fake issuer signed for this bot and the fake connector, as of now.</summary>
    protected string Token(FakeTokenOptions? tweaks = null) =>
        Issuer.CreateToken(Teams.AppId, Teams.ServiceUrl, TimeProvider.System.GetUtcNow(), tweaks);

    /// <summary>POSTs the activity to /api/messages with a token the fake issuer signed for it.</summary>
    protected Task<HttpResponseMessage> SendAsync(JsonObject activity, string? token = null) =>
        PostActivityAsync(activity.ToJsonString(), token ?? Token());

    /// <summary>POSTs <paramref name="body"/> as JSON to /api/messages, with <paramref name="bearer"/> as the token unless it is null.</summary>
    protected async Task<HttpResponseMessage> PostActivityAsync(string body, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Bot.Client.SendAsync(request);
    }

    /// <summary>Declares from the general channel and waits for the header card in the incident's thread.</summary>
    protected async Task<(string Thread, FakeTeamsActivity Header, long IncidentId)> DeclareAsync(string title = "Checkout errors sev2")
    {
        var before = HeaderCards().Count;
        using var response = await SendAsync(Message($"declare {title}"));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(await Poll.UntilAsync(() => HeaderCards().Count > before), Is.True, "header card posted");
        var header = HeaderCards()[before];
        return (header.ConversationId, header, IncidentIdOf(header.Card!));
    }

    /// <summary>Matches what the bot sent to <paramref name="conversationId"/> whose JSON contains <paramref name="text"/>.</summary>
    protected static Func<FakeTeamsActivity, bool> SentIn(string conversationId, string text) =>
        a => a.ConversationId == conversationId && a.Activity.ToJsonString().Contains(text, StringComparison.Ordinal);

    protected List<FakeTeamsActivity> HeaderCards() =>
        Teams.Activities.Where(a => a.Card is { } card && ButtonData(card, "incident.acknowledge") is not null).ToList();

    protected static long IncidentIdOf(JsonObject card) =>
        long.Parse(ButtonData(card, "incident.acknowledge")!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The data of the card action whose verb or action is <paramref name="actionId"/>, searching show-cards too.</summary>
    protected static JsonObject? ButtonData(JsonObject card, string actionId) => AdaptiveCards.ActionData(card, actionId);

    protected static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
