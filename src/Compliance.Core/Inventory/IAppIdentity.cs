namespace Compliance.Core.Inventory;

/// <summary>Who this app is to Azure: the identity that calls ARM and so runs the guest checks.</summary>
public interface IAppIdentity
{
    /// <summary>
    /// The object id of the app's identity (its service principal); <see langword="null"/> when it cannot be told (then
    /// nothing may be taken for the app's own doing, nor for someone else's).
    /// </summary>
    ValueTask<string?> GetPrincipalIdAsync(CancellationToken cancellationToken);
}
