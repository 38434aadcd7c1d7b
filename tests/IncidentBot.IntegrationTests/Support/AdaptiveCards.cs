using System.Text.Json.Nodes;

namespace IncidentBot.IntegrationTests.Support;

/// <summary>Reads the bot's Adaptive Cards back, whichever way they reached the test (fake connector or Playground).</summary>
internal static class AdaptiveCards
{
    /// <summary>The data of the card action whose verb or action is <paramref name="actionId"/>, searching show-cards too.</summary>
    public static JsonObject? ActionData(JsonObject card, string actionId)
    {
        foreach (var action in (card["actions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (action["data"] is JsonObject data && (string?)data["action"] == actionId)
            {
                return data;
            }

            if (action["card"] is JsonObject inner && ActionData(inner, actionId) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
