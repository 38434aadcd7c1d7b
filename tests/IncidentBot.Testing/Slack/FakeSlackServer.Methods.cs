using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Testing.Slack;

public sealed partial class FakeSlackServer
{
    /// <summary>Methods Slack has: the OpenAPI catalogue plus the newer ones it lacks.</summary>
    public static readonly HashSet<string> KnownMethods = LoadKnownMethods();

    private readonly Dictionary<string, string> _channelsByName = new(StringComparer.Ordinal);
    private readonly List<FakeSlackMessage> _messages = [];
    private readonly List<FakeSlackEphemeral> _ephemerals = [];
    private readonly Dictionary<string, (string Title, string Ts)> _fileShares = new(StringComparer.Ordinal);
    private readonly HashSet<(string Channel, string Ts)> _pins = [];
    private readonly Dictionary<string, string> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<string> _archived = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _purposes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, byte[]? Bytes, string? Channel)> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unknownUsers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string RealName, string DisplayName)> _userNames = new(StringComparer.Ordinal);
    private long _nextTs = 1_700_000_000;
    private int _nextId = 1000;

    public IReadOnlyList<FakeSlackMessage> Messages { get { lock (_state) { return _messages.ToList(); } } }

    public IReadOnlyDictionary<string, string> Channels { get { lock (_state) { return new Dictionary<string, string>(_channelsByName); } } }

    /// <summary>Messages chat.postEphemeral showed to one person, in the order posted.</summary>
    public IReadOnlyList<FakeSlackEphemeral> Ephemerals { get { lock (_state) { return _ephemerals.ToList(); } } }

    /// <summary>Files files.completeUploadExternal shared into <paramref name="channel"/>, in the order shared.</summary>
    public IReadOnlyList<FakeSlackFile> FilesIn(string channel)
    {
        lock (_state)
        {
            return _fileShares
                .Where(s => _files[s.Key].Channel == channel)
                .Select(s => new FakeSlackFile(s.Key, _files[s.Key].Name, s.Value.Title, _files[s.Key].Bytes ?? [], channel, s.Value.Ts))
                .OrderBy(f => f.Ts, StringComparer.Ordinal)
                .ToList();
        }
    }

    public bool IsPinned(string channel, string ts) { lock (_state) { return _pins.Contains((channel, ts)); } }

    public string? TopicOf(string channel) { lock (_state) { return _topics.GetValueOrDefault(channel); } }

    /// <summary>Whether conversations.archive archived <paramref name="channel"/>.</summary>
    public bool IsArchived(string channel) { lock (_state) { return _archived.Contains(channel); } }

    public string? PurposeOf(string channel) { lock (_state) { return _purposes.GetValueOrDefault(channel); } }

    public IReadOnlyCollection<string> MembersOf(string channel) { lock (_state) { return _members.TryGetValue(channel, out var m) ? m.ToList() : []; } }

    public (string Name, byte[]? Bytes, string? Channel) File(string id) { lock (_state) { return _files[id]; } }

    /// <summary>Adds a message as a person would have posted it (for pins and reactions); a reply when <paramref name="threadTs"/> is given.</summary>
    public string SeedMessage(string channel, string text, string user, string? threadTs = null)
    {
        lock (_state)
        {
            var ts = NextTs();
            _messages.Add(new FakeSlackMessage(channel, ts, text, null, user, threadTs));
            return ts;
        }
    }

    /// <summary>Names users.info answers for <paramref name="user"/> (others get "User {id}" and no display name).</summary>
    public void NameUser(string user, string realName, string displayName = "")
    {
        lock (_state)
        {
            _userNames[user] = (realName, displayName);
        }
    }

    /// <summary>A user id Slack no longer knows (deactivated, removed): inviting it gives user_not_found.</summary>
    public void ForgetUser(string user)
    {
        lock (_state)
        {
            _unknownUsers.Add(user);
        }
    }

    private JsonObject Respond(string method, Dictionary<string, string> args, JsonObject? json)
    {
        var response = Template(method);
        response["ok"] = true;
        switch (method)
        {
            case "conversations.create":
                var name = args.GetValueOrDefault("name", "");
                if (name.Length == 0 || name.Length > 80 || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')))
                {
                    return Error("invalid_name_specials");
                }

                if (_channelsByName.ContainsKey(name))
                {
                    return Error("name_taken");
                }

                var id = "C" + (_nextId++).ToString(CultureInfo.InvariantCulture);
                _channelsByName[name] = id;
                response["channel"] = Fill(response["channel"], new() { ["id"] = id, ["name"] = name, ["is_channel"] = true });
                break;

            case "conversations.invite":
                var channel = args.GetValueOrDefault("channel", "");
                if (!_channelsByName.ContainsValue(channel))
                {
                    return Error("channel_not_found");
                }

                // Slack fails the whole call on one unknown id, unless force=true: then it invites the valid ones
                // and still reports the invalid ones (modelled pessimistically as ok:false with per-user errors).
                var invited = args.GetValueOrDefault("users", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                var unknown = invited.Where(_unknownUsers.Contains).ToList();
                var force = args.GetValueOrDefault("force") == "true";
                if (unknown.Count > 0 && !force)
                {
                    return Error("user_not_found");
                }

                var members = _members.TryGetValue(channel, out var m) ? m : _members[channel] = [];
                members.UnionWith(invited.Except(unknown));
                if (unknown.Count > 0)
                {
                    var failure = Error("user_not_found");
                    failure["errors"] = new JsonArray(unknown.Select(u => (JsonNode)new JsonObject { ["user"] = u, ["ok"] = false, ["error"] = "user_not_found" }).ToArray());
                    return failure;
                }

                response["channel"] = Fill(response["channel"], new() { ["id"] = channel });
                break;

            case "conversations.setTopic":
                _topics[args["channel"]] = args.GetValueOrDefault("topic", "");
                response["channel"] = Fill(response["channel"], new() { ["id"] = args["channel"] });
                break;

            case "conversations.archive":
                // Slack answers {"ok": true} and nothing more; errors as documented.
                var toArchive = args.GetValueOrDefault("channel", "");
                if (!_channelsByName.ContainsValue(toArchive))
                {
                    return Error("channel_not_found");
                }

                if (!_archived.Add(toArchive))
                {
                    return Error("already_archived");
                }

                break;

            case "conversations.setPurpose":
                _purposes[args["channel"]] = args.GetValueOrDefault("purpose", "");
                response["channel"] = Fill(response["channel"], new() { ["id"] = args["channel"] });
                break;

            case "conversations.history":
                // Like Slack: the channel's own messages (thread parents included), never the replies in threads.
                var wanted = args.GetValueOrDefault("latest", "");
                response["messages"] = new JsonArray(_messages.Where(x => x.Channel == args.GetValueOrDefault("channel") && x.Ts == wanted && !x.IsReply).Select(ToJson).ToArray());
                response["has_more"] = false;
                break;

            case "conversations.replies":
                // ts may name the parent or any reply: Slack answers with the thread, parent first.
                var inChannel = _messages.Where(x => x.Channel == args.GetValueOrDefault("channel")).ToList();
                if (inChannel.FirstOrDefault(x => x.Ts == args.GetValueOrDefault("ts")) is not { } named)
                {
                    return Error("thread_not_found");
                }

                var root = named.ThreadTs ?? named.Ts;
                var thread = inChannel.Where(x => x.Ts == root || x.ThreadTs == root).Where(x => InRange(x.Ts, args)).Select(ToJson).ToArray();
                response["messages"] = new JsonArray(thread);
                response["has_more"] = false;
                break;

            case "chat.postMessage":
                var ts = NextTs();
                var target = args.GetValueOrDefault("channel", "");
                _messages.Add(new FakeSlackMessage(target, ts, args.GetValueOrDefault("text", ""), json?["blocks"]?.DeepClone() as JsonArray, null));
                response["channel"] = target;
                response["ts"] = ts;
                response["message"] = Fill(response["message"], new() { ["text"] = args.GetValueOrDefault("text", ""), ["ts"] = ts, ["type"] = "message" });
                break;

            case "chat.update":
                var index = _messages.FindIndex(x => x.Channel == args.GetValueOrDefault("channel") && x.Ts == args.GetValueOrDefault("ts"));
                if (index < 0)
                {
                    return Error("message_not_found");
                }

                _messages[index] = _messages[index] with { Text = args.GetValueOrDefault("text", ""), Blocks = json?["blocks"]?.DeepClone() as JsonArray };
                response["channel"] = _messages[index].Channel;
                response["ts"] = _messages[index].Ts;
                response["text"] = _messages[index].Text;
                break;

            case "users.info":
                var user = args.GetValueOrDefault("user", "");
                if (_unknownUsers.Contains(user) || user.Length == 0)
                {
                    return Error("user_not_found");
                }

                var (realName, displayName) = _userNames.GetValueOrDefault(user, ($"User {user}", ""));
                response["user"] = Fill(response["user"], new() { ["id"] = user, ["name"] = user.ToLowerInvariant(), ["real_name"] = realName });
                response["user"]!["profile"] = Fill(response["user"]!["profile"], new() { ["real_name"] = realName, ["display_name"] = displayName });
                break;

            case "chat.postEphemeral":
                var ephemeral = new FakeSlackEphemeral(args.GetValueOrDefault("channel", ""), NextTs(), args.GetValueOrDefault("user", ""), args.GetValueOrDefault("text", ""), json?["blocks"]?.DeepClone() as JsonArray);
                _ephemerals.Add(ephemeral);
                response["message_ts"] = ephemeral.Ts;
                break;

            case "chat.getPermalink":
                response["channel"] = args.GetValueOrDefault("channel", "");
                response["permalink"] = $"https://acme.slack.com/archives/{args.GetValueOrDefault("channel")}/p{args.GetValueOrDefault("message_ts", "").Replace(".", "", StringComparison.Ordinal)}";
                break;

            case "pins.add":
                if (!_pins.Add((args.GetValueOrDefault("channel", ""), args.GetValueOrDefault("timestamp", ""))))
                {
                    return Error("already_pinned");
                }

                break;

            case "files.getUploadURLExternal":
                var fileId = "F" + (_nextId++).ToString(CultureInfo.InvariantCulture);
                _files[fileId] = (args.GetValueOrDefault("filename", ""), null, null);
                response["upload_url"] = $"{Origin}/upload/{fileId}";
                response["file_id"] = fileId;
                break;

            case "files.completeUploadExternal":
                var files = JsonNode.Parse(args.GetValueOrDefault("files", "[]"))!.AsArray();
                foreach (var file in files)
                {
                    var fid = file!["id"]!.GetValue<string>();
                    if (!_files.TryGetValue(fid, out var stored) || stored.Bytes is null)
                    {
                        return Error("file_not_found");
                    }

                    _files[fid] = stored with { Channel = args.GetValueOrDefault("channel_id") };
                    _fileShares[fid] = ((file["title"] as JsonValue)?.GetValue<string>() ?? stored.Name, NextTs());
                }

                response["files"] = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["id"] = f!["id"]!.DeepClone(), ["title"] = f["title"]?.DeepClone() }).ToArray());
                break;

            case "views.open" or "views.update":
                response["view"] = Fill(response["view"], new() { ["id"] = "V" + (_nextId++).ToString(CultureInfo.InvariantCulture), ["hash"] = "h" });
                break;
        }

        return response;
    }

    private async Task UploadAsync(HttpContext http, string fileId)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        lock (_state)
        {
            if (!_files.TryGetValue(fileId, out var file))
            {
                http.Response.StatusCode = 404;
                return;
            }

            _files[fileId] = file with { Bytes = buffer.ToArray() };
        }

        http.Response.StatusCode = 200;
        await http.Response.WriteAsync("OK - " + buffer.Length.ToString(CultureInfo.InvariantCulture));
    }

    private static JsonNode ToJson(FakeSlackMessage message) => new JsonObject
    {
        ["type"] = "message", ["text"] = message.Text, ["user"] = message.User, ["ts"] = message.Ts, ["thread_ts"] = message.ThreadTs,
    };

    /// <summary>oldest/latest bound a read (inclusive=true keeps the bounds themselves, as the bot always asks).</summary>
    private static bool InRange(string ts, Dictionary<string, string> args)
    {
        static decimal Parse(string? value, decimal absent) =>
            decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : absent;

        var at = Parse(ts, 0m);
        return at >= Parse(args.GetValueOrDefault("oldest"), decimal.MinValue) && at <= Parse(args.GetValueOrDefault("latest"), decimal.MaxValue);
    }

    private string NextTs() => (_nextTs++).ToString(CultureInfo.InvariantCulture) + ".000100";

    /// <summary>The sample response of the method (every field a real response carries), or a bare object.</summary>
    private static JsonObject Template(string method)
    {
        var path = RepoPaths.Fixture("slack", "samples", "api", $"{method}.json");
        return System.IO.File.Exists(path) ? JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject() : [];
    }

    private static JsonObject Fill(JsonNode? template, JsonObject values)
    {
        var target = template as JsonObject ?? [];
        foreach (var (key, value) in values)
        {
            target[key] = value?.DeepClone();
        }

        return target;
    }

    private static HashSet<string> LoadKnownMethods()
    {
        using var spec = JsonDocument.Parse(System.IO.File.ReadAllText(RepoPaths.Fixture("slack", "slack_web_openapi_v2.json")));
        var methods = spec.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        methods.UnionWith(["bookmarks.add", "files.getUploadURLExternal", "files.completeUploadExternal", "apps.connections.open"]);
        return methods;
    }
}
