using Azure;

namespace Compliance.Azure.Tables;

/// <summary>The answer of <see cref="TableClient.GetEntityIfExistsAsync"/> when there is no such entity.</summary>
internal sealed class AbsentEntityResponse(Response response) : NullableResponse<TableEntity>
{
    public override bool HasValue => false;

    public override TableEntity Value => throw new InvalidOperationException(
        $"The entity does not exist (status {response.Status}); check {nameof(HasValue)} before reading {nameof(Value)}.");

    public override Response GetRawResponse() => response;
}
