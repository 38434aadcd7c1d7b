using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IncidentBot.Core.Ports;
using IncidentBot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Host.Tests.Support;

/// <summary>
/// The real host in process (fake clock, SQLite file <paramref name="database"/>) with Teams on: activities go in through
/// POST /api/messages with tokens from the fake Bot Framework issuer, and everything the bot sends lands on the fake Teams
/// cloud on 127.0.0.1. The fakes outlive the host, so a test can restart the host on the same database.
/// </summary>
public sealed class TeamsHostRig(FakeTeamsServer teams, FakeBotFrameworkIssuer issuer, string database) : IDisposable
{
    public const string IncidentsChannel = "19:incidents0000@thread.tacv2";
    public const string GeneralThread = "19:general0000@thread.tacv2;messageid=1700000000001";
    public const string BotId = "28:" + FakeTeamsServer.DefaultAppId;

    private static int _activityNumber;

    public TestHost Host { get; } = new(new Dictionary<string, string?>
    {
        ["IncidentBot:Storage:ConnectionString"] = $"Data Source={database}",
        ["IncidentBot:Teams:AppId"] = teams.AppId,
        ["IncidentBot:Teams:AppPassword"] = teams.AppPassword,
        ["IncidentBot:Teams:TenantId"] = teams.TenantId,
        ["IncidentBot:Teams:OpenIdMetadataUrl"] = issuer.OpenIdMetadataUrl,
        ["IncidentBot:Teams:TokenEndpoint"] = teams.TokenEndpoint,
        ["IncidentBot:Teams:GraphBaseUrl"] = teams.GraphBaseUrl,
        ["IncidentBot:Teams:DefaultServiceUrl"] = teams.ServiceUrl,
        ["IncidentBot:Teams:IncidentsChannelId"] = IncidentsChannel,
    });

    public FakeTeamsServer Teams => teams;

    public IIncidentStore Store => Host.Services.GetRequiredService<IIncidentStore>();

    /// <summary>POSTs the activity with a token the fake issuer signed as of the host's clock; the status code.</summary>
    public async Task<int> SendAsync(JsonObject activity)
    {
        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/messages", UriKind.Relative))
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.CreateToken(teams.AppId, teams.ServiceUrl, Host.Clock.GetUtcNow()));
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>A channel message that @mentions the bot, as Teams sends it (the captured channel message of the Teams reference notes, trimmed).</summary>
    public JsonObject ChannelMessage(string command, string conversationId, (string Id, string Name) from, params (string Id, string Name)[] mentioned)
    {
        var activity = Activity("message", conversationId, "channel", from);
        activity["text"] = $"<at>IncidentBot</at> {command}";
        var entities = new JsonArray(Mention(BotId, "IncidentBot"));
        foreach (var (id, name) in mentioned)
        {
            entities.Add(Mention(id, name));
        }

        activity["entities"] = entities;
        return activity;
    }

    /// <summary>
    /// An activity in a person's 1:1 with the bot: conversation type <c>personal</c>, id <c>a:...</c>, no mention needed
    /// (the shape of the personal-scope invoke and the ids in the Teams reference notes).
    /// </summary>
    public JsonObject Personal(string type, string conversationId, (string Id, string Name) from, string? text = null)
    {
        var activity = Activity(type, conversationId, "personal", from);
        if (text is not null)
        {
            activity["text"] = text;
        }

        return activity;
    }

    /// <summary>An Action.Execute click on a card button.</summary>
    public JsonObject Click(string actionId, long incidentId, string conversationId, string conversationType, string replyToId, (string Id, string Name) from)
    {
        var activity = Activity("invoke", conversationId, conversationType, from);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId;
        var data = new JsonObject { ["action"] = actionId, ["value"] = incidentId.ToString(CultureInfo.InvariantCulture) };
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = actionId, ["data"] = data }, ["trigger"] = "manual" };
        return activity;
    }

    /// <summary>Declares an incident from the general channel; the incident's thread once its header is posted.</summary>
    public async Task<string> DeclareAsync((string Id, string Name) by, string title = "Checkout errors sev4")
    {
        Assert.That(await SendAsync(ChannelMessage($"declare {title}", GeneralThread, by)), Is.EqualTo(200));
        Assert.That(await Poll.UntilAsync(() => Teams.Conversations.Any(c => c.ChannelId == IncidentsChannel && Teams.ActivitiesIn(c.Id).Count > 1)), Is.True, "the incident's thread and its header");
        return Teams.Conversations.Last(c => c.ChannelId == IncidentsChannel).Id;
    }

    /// <summary>Moves the host's clock on a tick of the follow-up scheduler at a time until <paramref name="done"/> (real-time deadline).</summary>
    public Task<bool> AdvanceUntilAsync(Func<bool> done) =>
        Poll.UntilAsync(() =>
        {
            if (done())
            {
                return true;
            }

            Host.Clock.Advance(TimeSpan.FromSeconds(5));
            return false;
        });

    public void Dispose() => Host.Dispose();

    private JsonObject Activity(string type, string conversationId, string conversationType, (string Id, string Name) from) => new()
    {
        ["type"] = type,
        ["id"] = (1_700_000_100_000 + Interlocked.Increment(ref _activityNumber)).ToString(CultureInfo.InvariantCulture),
        ["channelId"] = "msteams",
        ["serviceUrl"] = teams.ServiceUrl,
        ["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "IncidentBot" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = teams.TenantId },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = teams.TenantId } },
    };

    private static JsonObject Mention(string id, string name) =>
        new() { ["type"] = "mention", ["text"] = $"<at>{name}</at>", ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name } };
}
