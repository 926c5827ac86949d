namespace CharRnn.Web.Apis;

/// <summary>Who is asking, for the per-client limits on sampling and the Inside views: the connection's address.</summary>
public static class ClientAddress
{
    public static string Of(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
