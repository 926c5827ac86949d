using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CharRnn.Web.Data.Migrations
{
    /// <summary>Rungs are counted from 1 everywhere, as the API and the pages show them; they were stored from 0.</summary>
    public partial class RungsFromOne : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"RungResults\" SET \"Rung\" = \"Rung\" + 1;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"RungResults\" SET \"Rung\" = \"Rung\" - 1;");
        }
    }
}
