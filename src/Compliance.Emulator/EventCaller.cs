namespace Compliance.Emulator;

/// <summary>
/// Who made the change a <see cref="ResourceEvent"/> reports: ARM writes the caller's token claims into
/// <c>data.claims</c> (the object id under <see cref="ObjectIdClaim"/>) and the role assignment that allowed the call
/// into <c>data.authorization.evidence</c> (<c>principalId</c>, <c>principalType</c>).
/// </summary>
/// <param name="ObjectId">The caller's Entra ID object id, a GUID in "D" format.</param>
/// <param name="PrincipalType">The evidence's <c>principalType</c>: <c>User</c> or <c>ServicePrincipal</c>.</param>
/// <param name="ApplicationId">The <c>appid</c> claim: the application the token was issued to.</param>
public sealed record EventCaller(string ObjectId, string PrincipalType, string ApplicationId)
{
    /// <summary>The claim name ARM gives the caller's object id in <c>data.claims</c>.</summary>
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The <c>principalType</c> of a person.</summary>
    public const string User = "User";

    /// <summary>The <c>principalType</c> of an application or managed identity.</summary>
    public const string ServicePrincipal = "ServicePrincipal";

    // Azure CLI's first-party application id, the client an operator's token comes from when they run a command by hand.
    private const string AzureCliApplicationId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    /// <summary>
    /// The operator every event a test publishes comes from unless it says otherwise: a person, never the emulator's
    /// own identity (<see cref="ArmEmulator.CallerPrincipalId"/>), since published events stand for changes people make.
    /// </summary>
    public static EventCaller Operator { get; } = Person("7d0c9a4e-3f1b-4c62-8e5a-b2d41f6c9e83");

    /// <summary>A person with the object id <paramref name="objectId"/>, signed in through the Azure CLI.</summary>
    /// <exception cref="ArgumentException"><paramref name="objectId"/> is not a GUID.</exception>
    public static EventCaller Person(string objectId) => new(Checked(objectId), User, AzureCliApplicationId);

    /// <summary>An application or managed identity with the object id <paramref name="objectId"/>.</summary>
    /// <exception cref="ArgumentException">An id is not a GUID.</exception>
    public static EventCaller Application(string objectId, string applicationId) =>
        new(Checked(objectId), ServicePrincipal, Checked(applicationId, nameof(applicationId)));

    private static string Checked(string id, string paramName = "objectId") =>
        Guid.TryParseExact(id, "D", out _) ? id : throw new ArgumentException($"'{id}' is not a GUID.", paramName);
}
