namespace Compliance.Emulator;

/// <summary>
/// The outcome of the subscription-validation handshake Event Grid performs before it delivers to a webhook.
/// </summary>
/// <param name="Accepted">
/// Whether Event Grid would accept the endpoint: HTTP 200 with <c>{"validationResponse": "&lt;the code&gt;"}</c>.
/// A 202 is not accepted, even with the right code.
/// </param>
/// <param name="StatusCode">The HTTP status the webhook answered with.</param>
/// <param name="ValidationCode">The <c>validationCode</c> that was sent.</param>
/// <param name="Body">The body of the answer, as text.</param>
public sealed record WebhookValidation(bool Accepted, int StatusCode, string ValidationCode, string Body);
