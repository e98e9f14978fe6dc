using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class RequestSizeInterceptorTests
{
    private static ApplyRequest WithData(int bytes)
    {
        var map = new ConfigMap { Metadata = new ObjectMeta { Name = "m", Namespace = "default" } };
        map.Data["k"] = new string('d', bytes);
        return new ApplyRequest { Object = new ApiObject { ConfigMap = map } };
    }

    [Fact]
    public void Check_RequestOverTheLimit_ResourceExhaustedInKubernetesWords()
    {
        var request = WithData(InputLimits.MaxRequestBytes);

        var refused = Assert.Throws<RpcException>(() => RequestSizeInterceptor.Check(request));

        Assert.Equal((StatusCode.ResourceExhausted, "Request entity too large: limit is 3145728"), (refused.StatusCode, refused.Status.Detail));
    }

    [Fact]
    public void Check_RequestAtTheLimit_Passes()
    {
        var request = WithData(InputLimits.MaxRequestBytes - 100);
        Assert.InRange(request.CalculateSize(), 0, InputLimits.MaxRequestBytes);

        RequestSizeInterceptor.Check(request);
    }
}
