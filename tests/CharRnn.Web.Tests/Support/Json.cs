namespace CharRnn.Web.Tests.Support;

/// <summary>The API's JSON, as its clients read and write it.</summary>
internal static class Json
{
    public static System.Text.Json.JsonSerializerOptions Options => ContractsJson.Options;

    /// <summary>A value as a request's JSON field.</summary>
    public static System.Text.Json.JsonElement Element(object value) => System.Text.Json.JsonSerializer.SerializeToElement(value, Options);
}
