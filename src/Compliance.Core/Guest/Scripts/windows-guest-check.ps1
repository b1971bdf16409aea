# Compliance guest check for Windows (guest report schema 1).
# Read-only. Prints one compact JSON object as the last line of stdout: the kernel's speculation-control state
# (NtQuerySystemInformation classes 201 and 196, as Microsoft's SpeculationControl module reads them), the three
# registry values of KB4072698 and the QualityCompat antivirus value, the Hyper-V / RDS session host / Containers
# roles, the product and the CPU (vendor, description and architecture).
# This script is a constant: it takes no parameters and nothing is ever substituted into it.
# Windows PowerShell 2.0 compatible: it builds its JSON by hand, reads WMI rather than CIM, and uses .NET 2.0 APIs only.

$ErrorActionPreference = 'SilentlyContinue'

# Run Command keeps only the last 4,096 bytes of stdout; strings are capped so the report stays under 3,500 bytes.
$MaxStringLength = 200

# STATUS_INVALID_INFO_CLASS (0xC0000003) and STATUS_NOT_IMPLEMENTED (0xC0000002) as signed 32-bit values:
# the kernel predates the January 2018 update.
$StatusInvalidInfoClass = -1073741821
$StatusNotImplemented = -1073741822

# Untyped parameter on purpose: a [string] parameter would turn $null into "" and lose the JSON null.
function Format-JsonString($Value) {
    if ($null -eq $Value) { return 'null' }
    $Value = [string]$Value
    if ($Value.Length -gt $MaxStringLength) { $Value = $Value.Substring(0, $MaxStringLength) }
    $builder = New-Object System.Text.StringBuilder
    [void]$builder.Append('"')
    foreach ($ch in $Value.ToCharArray()) {
        $code = [int]$ch
        if ($code -eq 34) { [void]$builder.Append('\"') }
        elseif ($code -eq 92) { [void]$builder.Append('\\') }
        elseif ($code -lt 32 -or $code -gt 126) { [void]$builder.Append('\u' + $code.ToString('x4')) }
        else { [void]$builder.Append($ch) }
    }
    [void]$builder.Append('"')
    return $builder.ToString()
}

function Format-JsonUInt32($Value) {
    if ($null -eq $Value) { return 'null' }
    $number = [int64]$Value
    if ($number -lt 0) { $number = $number + 4294967296 }
    return $number.ToString([System.Globalization.CultureInfo]::InvariantCulture)
}

function Get-DwordValue([string]$Path, [string]$Name) {
    $item = Get-ItemProperty -Path $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    $value = $item.$Name
    if ($value -is [int] -or $value -is [uint32] -or $value -is [long]) { return $value }
    return $null
}

function Get-StringValue([string]$Path, [string]$Name) {
    $item = Get-ItemProperty -Path $Path -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $item) { return $null }
    $value = $item.$Name
    if ($null -eq $value) { return $null }
    return [string]$value
}

$ntdll = $null
try {
    $signature = @'
[DllImport("ntdll.dll")]
public static extern int NtQuerySystemInformation(uint SystemInformationClass, IntPtr SystemInformation, uint SystemInformationLength, IntPtr ReturnLength);
'@
    $ntdll = Add-Type -MemberDefinition $signature -Name 'NtDll' -Namespace 'ComplianceGuestCheck' -PassThru -ErrorAction Stop
} catch {
    $ntdll = $null
}

# Returns the JSON of one query: {"status":"ok","flags":N[,"flags2":N]}, {"status":"notSupported"} or
# {"status":"error","error":"0x........"}.
function Get-KernelQueryJson([uint32]$InformationClass, [int]$Length) {
    if ($null -eq $ntdll) { return '{"status":"error","error":"Add-Type failed"}' }
    $buffer = [IntPtr]::Zero
    $returned = [IntPtr]::Zero
    try {
        $buffer = [System.Runtime.InteropServices.Marshal]::AllocHGlobal($Length)
        $returned = [System.Runtime.InteropServices.Marshal]::AllocHGlobal(4)
        for ($i = 0; $i -lt $Length; $i++) { [System.Runtime.InteropServices.Marshal]::WriteByte($buffer, $i, 0) }
        [System.Runtime.InteropServices.Marshal]::WriteInt32($returned, 0)
        $status = $ntdll::NtQuerySystemInformation($InformationClass, $buffer, [uint32]$Length, $returned)
        if ($status -eq $StatusInvalidInfoClass -or $status -eq $StatusNotImplemented) {
            return '{"status":"notSupported"}'
        }
        if ($status -ne 0) {
            return '{"status":"error","error":"0x' + $status.ToString('X8') + '"}'
        }
        $flags = [System.Runtime.InteropServices.Marshal]::ReadInt32($buffer, 0)
        $json = '{"status":"ok","flags":' + (Format-JsonUInt32 $flags)
        if ($Length -gt 4) {
            # The second word is valid only when the kernel filled more than four bytes.
            $flags2 = 0
            if ([System.Runtime.InteropServices.Marshal]::ReadInt32($returned) -gt 4) {
                $flags2 = [System.Runtime.InteropServices.Marshal]::ReadInt32($buffer, 4)
            }
            $json = $json + ',"flags2":' + (Format-JsonUInt32 $flags2)
        }
        return $json + '}'
    } catch {
        return '{"status":"error","error":' + (Format-JsonString $_.Exception.GetType().Name) + '}'
    } finally {
        if ($buffer -ne [IntPtr]::Zero) { [System.Runtime.InteropServices.Marshal]::FreeHGlobal($buffer) }
        if ($returned -ne [IntPtr]::Zero) { [System.Runtime.InteropServices.Marshal]::FreeHGlobal($returned) }
    }
}

# Class 201: speculation control (two 32-bit words). Class 196: KVA shadow (one word).
$speculationControl = Get-KernelQueryJson 201 8
$kvaShadow = Get-KernelQueryJson 196 4

$memoryManagement = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management'
$virtualization = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization'
$qualityCompat = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\QualityCompat'
$registry = '{"featureSettingsOverride":' + (Format-JsonUInt32 (Get-DwordValue $memoryManagement 'FeatureSettingsOverride')) +
    ',"featureSettingsOverrideMask":' + (Format-JsonUInt32 (Get-DwordValue $memoryManagement 'FeatureSettingsOverrideMask')) +
    ',"minVmVersionForCpuBasedMitigations":' + (Format-JsonString (Get-StringValue $virtualization 'MinVmVersionForCpuBasedMitigations')) +
    ',"qualityCompat":' + (Format-JsonUInt32 (Get-DwordValue $qualityCompat 'cadca5fe-87d3-4b96-b7fb-a231484277cc')) + '}'

# Roles that mean "runs untrusted code" in the Azure guidance. Servers: ServerManager; clients: optional features.
$features = @()
Import-Module ServerManager -ErrorAction SilentlyContinue
if (Get-Command -Name Get-WindowsFeature -ErrorAction SilentlyContinue) {
    foreach ($name in @('Hyper-V', 'RDS-RD-Server', 'Containers')) {
        $feature = Get-WindowsFeature -Name $name -ErrorAction SilentlyContinue
        if ($null -ne $feature -and $feature.Installed) { $features += $name }
    }
} else {
    $optional = Get-WmiObject -Class Win32_OptionalFeature -Filter "Name='Microsoft-Hyper-V' OR Name='Containers'" -ErrorAction SilentlyContinue
    foreach ($feature in @($optional)) {
        if ($null -eq $feature -or $feature.InstallState -ne 1) { continue }
        if ($feature.Name -eq 'Microsoft-Hyper-V') { $features += 'Hyper-V' }
        if ($feature.Name -eq 'Containers') { $features += 'Containers' }
    }
}
$featuresJson = '['
$separator = ''
foreach ($name in $features) {
    $featuresJson = $featuresJson + $separator + (Format-JsonString $name)
    $separator = ','
}
$featuresJson = $featuresJson + ']'

$os = Get-WmiObject -Class Win32_OperatingSystem -ErrorAction SilentlyContinue | Select-Object -First 1
$caption = $null
$version = $null
$productType = $null
$lastBoot = $null
if ($null -ne $os) {
    $caption = ([string]$os.Caption).Trim()
    $version = [string]$os.Version
    $productType = $os.ProductType
    try {
        $lastBoot = [System.Management.ManagementDateTimeConverter]::ToDateTime($os.LastBootUpTime).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    } catch {
        $lastBoot = $null
    }
}
$ubr = Get-DwordValue 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' 'UBR'
$product = '{"caption":' + (Format-JsonString $caption) + ',"version":' + (Format-JsonString $version) +
    ',"ubr":' + (Format-JsonUInt32 $ubr) + ',"productType":' + (Format-JsonUInt32 $productType) + '}'

$cpu = Get-WmiObject -Class Win32_Processor -ErrorAction SilentlyContinue | Select-Object -First 1
$manufacturer = $null
$description = $null
$architecture = $null
if ($null -ne $cpu) {
    $manufacturer = ([string]$cpu.Manufacturer).Trim()
    $description = ([string]$cpu.Description).Trim()
    $architecture = $cpu.Architecture
}
$cpuJson = '{"manufacturer":' + (Format-JsonString $manufacturer) + ',"description":' + (Format-JsonString $description) +
    ',"architecture":' + (Format-JsonUInt32 $architecture) + '}'

$report = '{"schema":1,"os":"Windows","product":' + $product + ',"cpu":' + $cpuJson +
    ',"speculationControl":' + $speculationControl + ',"kvaShadow":' + $kvaShadow +
    ',"registry":' + $registry + ',"features":' + $featuresJson + ',"lastBootUtc":' + (Format-JsonString $lastBoot) + '}'
Write-Output $report
