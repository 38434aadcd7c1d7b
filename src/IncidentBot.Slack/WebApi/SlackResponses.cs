namespace IncidentBot.Slack.WebApi;

// The fields of Web API responses the bot reads (shapes from the reference samples/api/*.json).

public sealed record SlackChannel(string Id, string? Name);

public sealed record ChannelResponse(SlackChannel Channel);

public sealed record PostMessageResponse(string Channel, string Ts);

public sealed record PermalinkResponse(string Permalink);

public sealed record HistoryMessage(string? Text, string? User, string? Ts);

public sealed record HistoryResponse(List<HistoryMessage> Messages);

public sealed record UploadUrlResponse(string UploadUrl, string FileId);

public sealed record SlackProfile(string? DisplayName, string? RealName);

public sealed record SlackUserInfo(string Id, string? Name, string? RealName, SlackProfile? Profile);

public sealed record UserInfoResponse(SlackUserInfo User);

public sealed record AuthTestResponse(string? TeamId, string? UserId, string? BotId);

public sealed record ViewResponse(SlackViewInfo View);

public sealed record SlackViewInfo(string Id, string? Hash);

public sealed record ConnectionOpenResponse(string Url);
