using System.Text;
using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed class TableBatchResponseReaderTests
{
    [Fact]
    public void Read_AzureFailureWithoutContentId_ReturnsTheErrorWhoseMessageCarriesTheIndex()
    {
        // The documented shape of a failed transaction from Azure: one sub-response, the index only in the message.
        const string body =
            "--batchresponse_7b2d\r\n"
            + "Content-Type: multipart/mixed; boundary=changesetresponse_1f3a\r\n\r\n"
            + "--changesetresponse_1f3a\r\n"
            + "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "HTTP/1.1 409 Conflict\r\n"
            + "X-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\nDataServiceVersion: 3.0;\r\n"
            + "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n\r\n"
            + "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"37:The specified entity already exists.\\nRequestId:x\"}}}\r\n"
            + "--changesetresponse_1f3a--\r\n"
            + "--batchresponse_7b2d--\r\n";

        var responses = TableBatchResponseReader.Read("multipart/mixed; boundary=batchresponse_7b2d", Encoding.UTF8.GetBytes(body), "id");

        var failed = Assert.Single(responses);
        Assert.Equal(409, failed.Status);
        Assert.Equal("Conflict", failed.ReasonPhrase);
        var (code, message) = TableErrorParser.Read(failed);
        Assert.Equal("EntityAlreadyExists", code);
        Assert.Equal(37, TableBatchResponseReader.IndexFromMessage(message));
    }

    [Fact]
    public void Read_SuccessWithBareLineFeeds_ReturnsEverySubResponseWithItsETag()
    {
        const string body =
            "--batchresponse_a\n"
            + "Content-Type: multipart/mixed; boundary=changesetresponse_b\n\n"
            + "--changesetresponse_b\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\n"
            + "HTTP/1.1 204 No Content\nETag: W/\"datetime'2020-01-01T00%3A00%3A00.0000001Z'\"\n\n"
            + "--changesetresponse_b\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n\n"
            + "HTTP/1.1 201 Created\nETag: W/\"2\"\nContent-Type: application/json\n\n{\"a\":1}\n"
            + "--changesetresponse_b--\n--batchresponse_a--\n";

        var responses = TableBatchResponseReader.Read("multipart/mixed; boundary=batchresponse_a", Encoding.UTF8.GetBytes(body), "id");

        Assert.Equal([204, 201], responses.Select(r => r.Status));
        Assert.Equal("W/\"datetime'2020-01-01T00%3A00%3A00.0000001Z'\"", responses[0].Headers.ETag.ToString());
        Assert.Equal("{\"a\":1}", responses[1].Content.ToString());
    }

    [Fact]
    public void Read_TextBeforeTheStatusLine_IsSkipped()
    {
        // Azurite's answer to a batch it rejects as a whole puts a stray boundary line before the status line.
        const string body =
            "--batchresponse_a\r\nContent-Type: multipart/mixed; boundary=changesetresponse_b\r\n\r\n"
            + "--changesetresponse_b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "changesetresponse_b\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n"
            + "{\"odata.error\":{\"code\":\"InvalidInput\",\"message\":{\"lang\":\"en-US\",\"value\":\"0:The batch request operation exceeds the maximum 100 changes per change set.\"}}}\r\n"
            + "--changesetresponse_b--\r\n--batchresponse_a--\r\n";

        var responses = TableBatchResponseReader.Read("multipart/mixed; boundary=batchresponse_a", Encoding.UTF8.GetBytes(body), "id");

        var failed = Assert.Single(responses);
        Assert.Equal(400, failed.Status);
        Assert.Equal("InvalidInput", TableErrorParser.Read(failed).Code);
    }

    [Theory]
    [InlineData("37:The specified entity already exists.", 37)]
    [InlineData("0:x", 0)]
    [InlineData("The specified entity already exists.", null)]
    [InlineData("x37:y", null)]
    [InlineData(null, null)]
    public void IndexFromMessage_LeadingNumberAndColon_IsTheIndex(string? message, int? expected) =>
        Assert.Equal(expected, TableBatchResponseReader.IndexFromMessage(message));
}
