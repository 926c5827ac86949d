using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CharRnn.Web.Hosting;

/// <summary><c>/health</c>'s body: the overall status, then each check's status, sentence and details, as JSON.</summary>
public static class HealthResponse
{
    public static HealthCheckOptions Options => new()
    {
        ResponseWriter = async (http, report) =>
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description ?? e.Value.Exception?.Message,
                    data = e.Value.Data,
                }),
            }, JsonSerializerOptions.Web);
        },
    };
}
