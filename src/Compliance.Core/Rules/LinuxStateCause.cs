namespace Compliance.Core.Rules;

/// <summary>Why a Linux state is not a full mitigation, as the kernel's sources show it; it decides the remedy.</summary>
public enum LinuxStateCause
{
    /// <summary>Nothing to remedy.</summary>
    None,

    /// <summary>
    /// The kernel (or the compiler it was built with) lacks the mitigation: install a kernel update. When the reported
    /// boot parameters lead to the state, they are the cause instead.
    /// </summary>
    Update,

    /// <summary>Only a setting leads there (a boot parameter or a sysctl): change the setting.</summary>
    Setting,

    /// <summary>A loaded kernel module was built without the mitigation: update or remove the module.</summary>
    Module,

    /// <summary>Microcode the CPU lacks; in a VM only the host can supply it: nothing to do in the guest.</summary>
    Microcode,

    /// <summary>Simultaneous multithreading leaves the hole open: turn SMT off (<c>nosmt</c>) or accept it.</summary>
    Smt,

    /// <summary>The processor is affected and the kernel has nothing to apply; the state's own remedy says when it matters.</summary>
    Hardware,
}
