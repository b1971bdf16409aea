using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Tests;

/// <summary>
/// A <see cref="FunctionContext"/> of the tests' own, as the worker hands one to its middleware: the invocation's
/// services, its cancellation and, for an HTTP trigger, the request's <see cref="Microsoft.AspNetCore.Http.HttpContext"/>
/// where the ASP.NET Core integration keeps it.
/// </summary>
internal sealed class TestFunctionContext : FunctionContext
{
    // Where the ASP.NET Core integration puts the request of an HTTP invocation (FunctionContext.GetHttpContext).
    private const string HttpContextKey = "HttpRequestContext";

    public TestFunctionContext(IServiceProvider services, string functionName, Microsoft.AspNetCore.Http.HttpContext? http = null)
    {
        InstanceServices = services;
        FunctionName = functionName;
        if (http is not null)
        {
            Items[HttpContextKey] = http;
        }
    }

    public string FunctionName { get; }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionName;

    public override TraceContext TraceContext => throw new NotSupportedException("Not used by the app's middleware.");

    public override BindingContext BindingContext => throw new NotSupportedException("Not used by the app's middleware.");

    public override RetryContext RetryContext => throw new NotSupportedException("Not used by the app's middleware.");

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition => new TestFunctionDefinition(FunctionName);

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException("Not used by the app's middleware.");
}
