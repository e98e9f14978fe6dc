using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using Google.Protobuf.WellKnownTypes;

namespace HostDaemons.Model.Tests;

public sealed class ZzProbe
{
    [Fact]
    public void Probe()
    {
        var r = ManifestReader.Read(TestObjects.DaemonSetYaml(), "x.yaml");
        var ds = (DaemonSet)r.Objects[0].Value;
        ds.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        ds.Metadata.Labels["version"] = "1.0";
        ds.Metadata.Labels["enabled"] = "true";
        ds.Metadata.Labels["empty"] = "";
        ds.Metadata.Annotations["multi"] = "a\nb";
        ds.Metadata.Annotations["colon"] = "a: b";
        ds.Status = new DaemonSetStatus { NumberReady = 0, DesiredNumberScheduled = 2, UpdatedNumberScheduled = 0 };
        var node = ObjectEncoder.Encode(ds);
        File.WriteAllText("/tmp/probe/out.yaml", ManifestWriter.ToYaml(node));
        File.WriteAllText("/tmp/probe/out.json", ManifestWriter.ToJson(node));
    }
}
