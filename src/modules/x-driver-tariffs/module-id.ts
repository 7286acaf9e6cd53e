/** ModuleID of the extension in version details (version_information_endpoint "Custom Modules"). */
export const X_DRIVER_TARIFFS = 'x-driver-tariffs'
