# compliance-remediation: windows-hyperv-min-vm-version
# Compliance remediation for Windows Hyper-V hosts (nested virtualization; the Azure guidance, step 3, and KB4072698):
# MinVmVersionForCpuBasedMitigations="1.0" (REG_SZ) under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization,
# so that the host passes the CPU-based mitigations to its VMs.
# The hypervisor reads the value when it starts: the change takes effect at the next restart (and each VM gets the
# mitigations once it is fully shut down and started again).
# This script is a constant: it takes no parameters and nothing is ever substituted into it.
# Prints "SET MinVmVersionForCpuBasedMitigations=1.0 PREVIOUS=<value|absent|invalid>", then "RESULT ok"; or
# "RESULT error <reason>" and exit code 1.
# Windows PowerShell 2.0 compatible.

$ErrorActionPreference = 'Stop'

$Key = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization'
$Name = 'MinVmVersionForCpuBasedMitigations'
$Value = '1.0'

function Get-Value {
    $item = Get-ItemProperty -Path $Key -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

# The previous value as one safe token: a short version-like string or number, else "invalid".
function Format-Previous($Previous) {
    if ($null -eq $Previous) { return 'absent' }
    $text = [string]$Previous
    if ($text -match '^[0-9A-Za-z._-]{1,32}$') { return $text }
    return 'invalid'
}

try {
    if (-not (Test-Path -Path $Key)) { New-Item -Path $Key -Force | Out-Null }
    $previous = Get-Value
    New-ItemProperty -Path $Key -Name $Name -PropertyType String -Value $Value -Force | Out-Null
    $written = Get-Value
    if (-not ($written -is [string]) -or $written -ne $Value) {
        throw 'the registry does not hold the value written'
    }

    Write-Output ('SET ' + $Name + '=' + $Value + ' PREVIOUS=' + (Format-Previous $previous))
    Write-Output 'RESULT ok'
    exit 0
} catch {
    # Only the exception's type: its message may quote text this script does not control.
    Write-Output ('RESULT error registry write failed (' + $_.Exception.GetType().Name + ')')
    exit 1
}
