using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The whole ARM slice: every route the emulator serves, and ARM's answer to any other.
/// </summary>
internal static class ComputeEndpoints
{
    public static void MapArm(this IEndpointRouteBuilder routes, EmulatorBackend backend)
    {
        new SubscriptionEndpoints(backend).Map(routes);
        new VirtualMachineEndpoints(backend).Map(routes);
        new ScaleSetEndpoints(backend).Map(routes);
        new CloudServiceEndpoints(backend).Map(routes);
        var installPatches = new InstallPatchesEndpoints(backend);
        installPatches.Map(routes);
        new RunCommandEndpoints(backend, installPatches).Map(routes);
        new RestartEndpoints(backend).Map(routes);
        routes.MapFallback(context =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
            var question = target.IndexOf('?', StringComparison.Ordinal);
            return ArmError.InvalidResourceType(question < 0 ? target : target[..question]).ToResult().ExecuteAsync(context);
        });
    }
}
