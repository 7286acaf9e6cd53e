export const DEMO_PARTIES: { country_code: string; party_id: string; role: string; business_details: { name: string } }[]
export function seedDemo(baseUrl: string, adminToken: string): Promise<void>
