namespace Compliance.Server.Hosting;

/// <summary>The app was told to listen beyond loopback without the key that would protect its API (<see cref="ListenCheck"/>).</summary>
public sealed class ListenRefusedException(string message) : InvalidOperationException(message);
