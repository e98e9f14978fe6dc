namespace HostDaemons.Model.Patching;

/// <summary>Which Kubernetes Status a failed patch answers with; the REST front door maps it once.</summary>
public enum PatchErrorKind
{
    /// <summary>400 BadRequest (a malformed patch or directive, <c>NewBadRequest</c>).</summary>
    BadRequest,

    /// <summary>
    /// 422 with reason Invalid, as <c>NewGenericServerResponse(422, ...)</c> builds it: message "the server rejected our
    /// request due to an error in our request" and the patch error as a cause of type <c>UnexpectedServerResponse</c>
    /// (a failed JSON patch operation, a list of lists, a <c>$retainKeys</c> mismatch).
    /// </summary>
    UnprocessableEntity,

    /// <summary>413 RequestEntityTooLarge (more JSON patch operations than Kubernetes allows).</summary>
    RequestEntityTooLarge,

    /// <summary>
    /// 500 InternalError with reason Unknown: what kube-apiserver answers for the strategic merge patch errors it does not
    /// classify (a missing merge key, an unknown <c>$patch</c> value, a field the type does not have).
    /// </summary>
    InternalError,
}
