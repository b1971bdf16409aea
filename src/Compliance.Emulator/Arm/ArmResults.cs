using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>
/// JSON responses as ARM sends them.
/// </summary>
internal static class ArmResults
{
    public static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, statusCode);
}
