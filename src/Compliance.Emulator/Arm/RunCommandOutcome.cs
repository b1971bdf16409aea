using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// How a Run Command ends once its latency has passed: with a RunCommandResult or an error.
/// </summary>
internal sealed class RunCommandOutcome
{
    private readonly JsonObject? _output;

    private RunCommandOutcome(JsonObject? output, ArmError? error)
    {
        _output = output;
        Error = error;
    }

    public ArmError? Error { get; }

    public static RunCommandOutcome Succeeded(JsonObject output) => new(output, null);

    public static RunCommandOutcome Failed(ArmError error) => new(null, error);

    /// <summary>An operation that succeeds without a result, such as a restart.</summary>
    public static RunCommandOutcome Completed() => new(null, null);

    /// <summary>Whether the operation has a result to hand out.</summary>
    public bool HasOutput => _output is not null;

    /// <summary>The outcome the fleet prescribes for a machine that accepted the command.</summary>
    public static RunCommandOutcome For(EmulatedMachine machine) => machine switch
    {
        { RunCommand.Failure: FleetRunCommandFailure.Timeout } => Failed(ArmError.ExtensionTimeout(machine.OsType)),
        { RunCommand.Failure: FleetRunCommandFailure.AgentNotReady } or { AgentStatus: FleetAgentStatus.NotReady } =>
            Failed(ArmError.AgentNotReporting(machine.Name)),
        _ => Succeeded(RunCommandOutput.Build(machine)),
    };

    /// <summary>A fresh copy of the RunCommandResult, since a JSON node belongs to one parent only.</summary>
    public JsonObject? CopyOutput() => _output?.DeepClone().AsObject();
}
