namespace Compliance.Emulator;

/// <summary>
/// What <see cref="FleetGenerator.Generate(FleetGeneratorOptions)"/> makes: how many machines, spread over how many
/// subscriptions and regions, in what mix.
/// </summary>
public sealed class FleetGeneratorOptions
{
    /// <summary>Virtual machines plus scale-set instances (1 or more); Cloud Services come on top.</summary>
    /// <value>1,000.</value>
    public int Machines { get; set; } = 1000;

    /// <summary>Seed of the pseudo-random choices: the same options always give the same fleet.</summary>
    /// <value>0.</value>
    public int Seed { get; set; }

    /// <summary>How many subscriptions the resources are spread over, round robin by resource group (1 or more).</summary>
    /// <value>2.</value>
    public int Subscriptions { get; set; } = 2;

    /// <summary>
    /// The regions the resource groups are spread over, evenly within each subscription (1 or more, distinct names).
    /// </summary>
    /// <value><c>westeurope</c> and <c>northeurope</c>.</value>
    public IReadOnlyList<string> Regions { get; set; } = ["westeurope", "northeurope"];

    /// <summary>How many virtual machines share a resource group (1 or more); a group lives in one region.</summary>
    /// <value>25.</value>
    public int MachinesPerResourceGroup { get; set; } = 25;

    /// <summary>The shares of machine kinds and states.</summary>
    /// <value>The defaults of <see cref="FleetMix"/>.</value>
    public FleetMix Mix { get; set; } = new();
}
