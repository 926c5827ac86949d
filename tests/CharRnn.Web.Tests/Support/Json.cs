namespace CharRnn.Web.Tests.Support;

/// <summary>The API's JSON, as its clients read and write it.</summary>
internal static class Json
{
    public static System.Text.Json.JsonSerializerOptions Options => ContractsJson.Options;
}
