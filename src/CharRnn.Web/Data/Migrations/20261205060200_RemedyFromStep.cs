using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CharRnn.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RemedyFromStep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RemedyFromStep",
                table: "Runs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RemedyFromStep",
                table: "Runs");
        }
    }
}
