namespace Compliance.Functions.Invocations;

/// <summary>The functions of the app: each is a folder with a <c>function.json</c> and, for non-HTTP triggers, the path the host posts to.</summary>
public static class FunctionNames
{
    /// <summary>Timer: plans a scan and fans its batches out through the queue output binding.</summary>
    public const string ScheduledScan = "ScheduledScan";

    /// <summary>HTTP <c>POST /api/scans</c> under the host: plans an on-demand scan, fanned out like the timer's.</summary>
    public const string StartScan = "StartScan";

    /// <summary>Queue: checks one batch.</summary>
    public const string CheckMachines = "CheckMachines";

    /// <summary>Event Grid: re-checks or forgets the resource a subscription event names.</summary>
    public const string ResourceChanged = "ResourceChanged";

    /// <summary>HTTP: the query API and the dashboard (forwarded by the host as plain HTTP).</summary>
    public const string ComplianceApi = "ComplianceApi";

    /// <summary>The binding names used in the <c>function.json</c> files.</summary>
    public static class Bindings
    {
        public const string Timer = "timer";
        public const string Request = "req";
        public const string Response = "res";
        public const string Batches = "batches";
        public const string Batch = "batch";
        public const string Event = "event";
    }

    /// <summary>The queue the batches go through.</summary>
    public const string BatchQueue = "compliance-batches";
}
