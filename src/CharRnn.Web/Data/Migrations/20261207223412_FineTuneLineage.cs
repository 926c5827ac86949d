using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CharRnn.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FineTuneLineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CharactersAdded",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FineTunedFromBookId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FineTunedFromCheckpointId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FineTunedFromRunId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CharactersAdded",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "FineTunedFromBookId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "FineTunedFromCheckpointId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "FineTunedFromRunId",
                table: "Runs");
        }
    }
}
