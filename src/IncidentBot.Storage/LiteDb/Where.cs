using LiteDB;

namespace IncidentBot.Storage.LiteDb;

/// <summary>
/// Predicates with their values as parameters. LiteDB's <c>Query.EQ(field, value)</c> writes the value into the
/// expression's text, and LiteDB compiles and keeps one delegate per distinct text in a static cache that never
/// shrinks: every new event id, conversation or instant cost a compile (about a millisecond) and memory for the
/// life of the process. With the value as <c>@0</c> the text is the same each time, so it is compiled once.
/// </summary>
internal static class Where
{
    public static BsonExpression Eq(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);

    public static BsonExpression Lt(string field, BsonValue value) => BsonExpression.Create($"$.{field} < @0", value);

    public static BsonExpression Lte(string field, BsonValue value) => BsonExpression.Create($"$.{field} <= @0", value);

    public static BsonExpression Gt(string field, BsonValue value) => BsonExpression.Create($"$.{field} > @0", value);

    public static BsonExpression Gte(string field, BsonValue value) => BsonExpression.Create($"$.{field} >= @0", value);

    public static BsonExpression Between(string field, BsonValue start, BsonValue end) =>
        BsonExpression.Create($"$.{field} BETWEEN @0 AND @1", start, end);
}
