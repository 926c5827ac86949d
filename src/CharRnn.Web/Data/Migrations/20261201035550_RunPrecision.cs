using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CharRnn.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunPrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Precision",
                table: "Runs",
                type: "TEXT",
                nullable: false,
                // Every run stored before the choice existed trained in float32.
                defaultValue: "float32");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Precision",
                table: "Runs");
        }
    }
}
