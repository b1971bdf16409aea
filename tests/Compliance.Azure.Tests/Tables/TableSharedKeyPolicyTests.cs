using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed class TableSharedKeyPolicyTests
{
    [Fact]
    public void CanonicalizedResource_PathStyleAzuriteUrl_RepeatsTheAccount() =>
        Assert.Equal(
            "/devstoreaccount1/devstoreaccount1/Tables",
            TableSharedKeyPolicy.CanonicalizedResource("devstoreaccount1", new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables")));

    [Fact]
    public void CanonicalizedResource_AzureUrl_IsAccountThenPath() =>
        Assert.Equal(
            "/acct/mytable(PartitionKey='a%20b',RowKey='c')",
            TableSharedKeyPolicy.CanonicalizedResource("acct", new Uri("https://acct.table.core.windows.net/mytable(PartitionKey='a%20b',RowKey='c')?$select=x")));

    [Fact]
    public void CanonicalizedResource_CompParameter_IsKeptAndOthersAreNot() =>
        Assert.Equal(
            "/acct/mytable?comp=acl",
            TableSharedKeyPolicy.CanonicalizedResource("acct", new Uri("https://acct.table.core.windows.net/mytable?timeout=30&comp=acl")));
}
