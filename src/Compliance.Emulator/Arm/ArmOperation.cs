namespace Compliance.Emulator.Arm;

/// <summary>
/// ARM's three throttling classes of a request, by HTTP method.
/// </summary>
internal enum ArmOperation
{
    Read,
    Write,
    Delete,
}
