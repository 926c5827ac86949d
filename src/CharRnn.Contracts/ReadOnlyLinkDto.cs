namespace CharRnn.Contracts;

/// <summary>A read-only link to a run's or a sweep's page (<c>POST /api/runs/{id}/links</c>, <c>POST /api/sweeps/{id}/links</c>).</summary>
public sealed record ReadOnlyLinkDto(string Url);
