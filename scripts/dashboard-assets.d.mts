export function copyDashboardAssets(): Promise<void>
