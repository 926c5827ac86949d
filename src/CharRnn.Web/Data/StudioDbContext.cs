using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CharRnn.Web.Data;

public sealed class StudioDbContext(DbContextOptions<StudioDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Sign-in cookie keys, when the store is shared by several instances (PostgreSQL): any of them reads any cookie.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Book> Books => Set<Book>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricPoint> Metrics => Set<MetricPoint>();
    public DbSet<CheckpointRecord> Checkpoints => Set<CheckpointRecord>();
    public DbSet<Passage> Passages => Set<Passage>();
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<RungResult> RungResults => Set<RungResult>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Run>().Property(r => r.Status).HasConversion<string>();
        model.Entity<Run>().HasIndex(r => r.Status);
        model.Entity<MetricPoint>().HasIndex(m => new { m.RunId, m.Step });
        model.Entity<CheckpointRecord>().HasIndex(c => c.RunId);
        model.Entity<Passage>().HasIndex(p => p.Slug).IsUnique();
        model.Entity<Run>().HasIndex(r => r.SweepId);
        model.Entity<RungResult>().HasIndex(r => new { r.SweepId, r.Rung });
    }
}
