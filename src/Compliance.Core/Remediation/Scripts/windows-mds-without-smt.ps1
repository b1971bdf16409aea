# compliance-remediation: windows-mds-without-smt
# Compliance remediation for Windows (KB4072698): FeatureSettingsOverride=8264 and FeatureSettingsOverrideMask=3 under
# HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management.
# The row that enables the MDS and TAA mitigations with Spectre variant 2, Meltdown, SSBD and L1TF, and turns
# Hyper-Threading off (bit 0x2000): the machine has half as many logical processors after the restart.
# It clears the two bits that turn the Spectre variant 2 and Meltdown mitigations off (0x1 and 0x2), sets the bits of
# 8264, and keeps any other bit already set (a later mitigation that KB4072698 combines by OR, or Hyper-Threading
# turned off), so it never turns a mitigation off: on a machine without the value it writes exactly 8264.
# The running kernel reads these values at boot: the change takes effect at the next restart.
# This script is a constant: it takes no parameters and nothing is ever substituted into it.
# Prints one line per value written, "SET <name>=<value> PREVIOUS=<value|absent|invalid>", then "RESULT ok"; or
# "RESULT error <reason>" and exit code 1.
# Windows PowerShell 2.0 compatible.

$ErrorActionPreference = 'Stop'

$Key = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management'
$OverrideBits = [int64]8264
$MaskValue = [int64]3
# Every bit but 0x1 and 0x2, as an unsigned 32-bit value.
$KeepBits = [int64]4294967292

function Get-Value([string]$Name) {
    $item = Get-ItemProperty -Path $Key -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    return $item.$Name
}

function Test-Dword($Value) {
    return ($Value -is [int] -or $Value -is [uint32] -or $Value -is [long])
}

function ConvertTo-Unsigned($Value) {
    $number = [int64]$Value
    if ($number -lt 0) { $number = $number + 4294967296 }
    return $number
}

function Format-Number([int64]$Value) {
    return $Value.ToString([System.Globalization.CultureInfo]::InvariantCulture)
}

function Format-Previous($Value) {
    if ($null -eq $Value) { return 'absent' }
    if (Test-Dword $Value) { return Format-Number (ConvertTo-Unsigned $Value) }
    return 'invalid'
}

# Writes a REG_DWORD (replacing a value of another type) and returns what the registry then holds.
function Set-Dword([string]$Name, [int64]$Value) {
    $signed = $Value
    if ($signed -gt 2147483647) { $signed = $signed - 4294967296 }
    New-ItemProperty -Path $Key -Name $Name -PropertyType DWord -Value ([int32]$signed) -Force | Out-Null
    $written = Get-Value $Name
    if (-not (Test-Dword $written) -or (ConvertTo-Unsigned $written) -ne $Value) {
        throw ('the registry does not hold the value written to ' + $Name)
    }
}

try {
    if (-not (Test-Path -Path $Key)) { New-Item -Path $Key -Force | Out-Null }

    $previousOverride = Get-Value 'FeatureSettingsOverride'
    $current = [int64]0
    if (Test-Dword $previousOverride) { $current = ConvertTo-Unsigned $previousOverride }
    $override = ($current -band $KeepBits) -bor $OverrideBits
    Set-Dword 'FeatureSettingsOverride' $override
    Write-Output ('SET FeatureSettingsOverride=' + (Format-Number $override) + ' PREVIOUS=' + (Format-Previous $previousOverride))

    $previousMask = Get-Value 'FeatureSettingsOverrideMask'
    Set-Dword 'FeatureSettingsOverrideMask' $MaskValue
    Write-Output ('SET FeatureSettingsOverrideMask=' + (Format-Number $MaskValue) + ' PREVIOUS=' + (Format-Previous $previousMask))

    Write-Output 'RESULT ok'
    exit 0
} catch {
    # Only the exception's type: its message may quote text this script does not control.
    Write-Output ('RESULT error registry write failed (' + $_.Exception.GetType().Name + ')')
    exit 1
}
