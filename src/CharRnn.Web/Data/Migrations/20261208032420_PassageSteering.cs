using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CharRnn.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class PassageSteering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Beam",
                table: "Passages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StopJson",
                table: "Passages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TopP",
                table: "Passages",
                type: "REAL",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Beam",
                table: "Passages");

            migrationBuilder.DropColumn(
                name: "StopJson",
                table: "Passages");

            migrationBuilder.DropColumn(
                name: "TopP",
                table: "Passages");
        }
    }
}
