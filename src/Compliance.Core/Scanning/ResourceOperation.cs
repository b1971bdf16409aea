namespace Compliance.Core.Scanning;

/// <summary>One row of <see cref="ResourceChangeRules"/>' table: an ARM operation and what its event calls for.</summary>
/// <param name="Name">The <c>data.operationName</c>, for example <c>Microsoft.Compute/virtualMachines/reimage/action</c>.</param>
/// <param name="Effect">What a successful one calls for.</param>
public sealed record ResourceOperation(string Name, ResourceOperationEffect Effect)
{
    private const string Provider = "Microsoft.Compute/";

    /// <summary>Whether ARM reports it as <c>ResourceDeleteSuccess</c> (a DELETE); otherwise as a write or an action.</summary>
    public bool IsDelete => Name.EndsWith("/delete", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The type path of the resource it acts on, which the event's subject must have: the name without the provider and
    /// the verb, for example <c>virtualMachines/extensions</c> for <c>Microsoft.Compute/virtualMachines/extensions/write</c>.
    /// </summary>
    public string SubjectType
    {
        get
        {
            var path = Name[Provider.Length..];
            var verbStart = path.EndsWith("/action", StringComparison.OrdinalIgnoreCase)
                ? path.LastIndexOf('/', path.Length - "/action".Length - 1)
                : path.LastIndexOf('/');
            return path[..verbStart];
        }
    }
}
