using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Tests;

/// <summary>The definition of a function as the app's middleware reads it: its name.</summary>
internal sealed class TestFunctionDefinition(string name) : FunctionDefinition
{
    public override string Name { get; } = name;

    public override string Id => Name;

    public override string PathToAssembly => typeof(ComplianceWorker).Assembly.Location;

    public override string EntryPoint => throw new NotSupportedException("Not used by the app's middleware.");

    public override ImmutableArray<FunctionParameter> Parameters => [];

    public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
}
