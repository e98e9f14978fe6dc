using System.Text;
using HostDaemons.ControlPlane.KubeApi.Protobuf;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// Request bodies as the front door reads them: JSON or YAML text. A protobuf body (kubectl's typed clients send
/// <c>create secret|configmap|namespace|...</c> and the self-subject reviews so) is turned into its JSON text here, once.
/// </summary>
internal static class RequestBodies
{
    /// <summary>The body's text; null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<string?> ReadAsync(HttpContext http, int limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || !KubeProtobuf.IsProtobuf(http.Request.ContentType))
        {
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        try
        {
            return KubeProtobuf.Decode(buffer.GetBuffer(), (int)buffer.Length).ToJsonString();
        }
        catch (ProtobufFormatException ex)
        {
            throw new KubeStatusException(KubeStatus.BadRequest("the protobuf request body cannot be read: " + ex.Message));
        }
    }
}
