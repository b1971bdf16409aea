using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The query options of ARM GETs that change what is served.
/// </summary>
internal static class ArmQuery
{
    public static bool ExpandsInstanceView(HttpContext context) =>
        string.Equals(context.Request.Query["$expand"].ToString(), "instanceView", StringComparison.OrdinalIgnoreCase);

    public static bool StatusOnly(HttpContext context) =>
        string.Equals(context.Request.Query["statusOnly"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
}
