using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;

namespace HostDaemons.Model.Printing;

/// <summary>
/// The object of each event of a watch asked <c>as=Table</c>: a Table of one row, with the column definitions on the
/// first event only, as kube-apiserver sends them (kubectl keeps the last definitions it saw for the rows that follow).
/// One per watch; not thread-safe.
/// </summary>
public sealed class TableWatchEncoder(ResourceKindInfo kind, IncludeObject include, string apiVersion = KubeTableWriter.V1)
{
    private bool _sentColumns;

    public JsonObject Encode(IKubeObject item, DateTimeOffset now)
    {
        var table = KubeTableWriter.BuildOne(kind, item, include, now, apiVersion, withColumns: !_sentColumns);
        _sentColumns = true;
        return table;
    }
}
